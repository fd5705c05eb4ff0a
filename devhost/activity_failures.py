"""The TaskFailed `Reason` and `Details` the extension writes when an activity fails (protocol §2.6).

The Python SDK hands the orchestrator `Exception(f"{Reason} \\n {Details}")`, and a failed
orchestration's output ends with the same text, so both fields are written as in Azure rather than
leaving `Details` empty (which the SDK would print as "None").

- A Python activity: the worker reports `f"{type}: {message}"`; the host wraps it in an `RpcException`
  ("Result: Failure\\nException: <message>\\nStack: <stack>"); `TaskActivityShim` cuts the text between
  "Exception:" and "\\nStack:" out of it (leading space included: `OutOfProcExceptionHelpers`) as the
  message of a new `System.Exception` around the RpcException, and fails the task with Reason
  `Activity function '<name>' failed: <that message>` and Details `Utils.SerializeCause(exception)`.
- Durable HTTP (`TaskHttpActivityShim`): Reason is the error's message, Details the error serialized.

`SerializeCause` is Newtonsoft with `TypeNameHandling.Objects` (`ErrorSerializerSettingsFactory`): a
serializable .NET exception as its `GetObjectData` fields, the RpcException (not serializable) as its
properties. The .NET stack traces are the host's own frames and are left null here; the Python
traceback is where Azure has it, in the RpcException's message and `RemoteStackTrace`.
"""

import json
import traceback
from typing import Any

RPC_EXCEPTION = "Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException, Microsoft.Azure.WebJobs.Script"
E_FAIL = -2146233088  # COR_E_EXCEPTION: the HResult of System.Exception and most derived ones


def serialized_exception(class_name: str, assembly: str, message: str, inner: Any = None) -> dict[str, Any]:
    """A serializable .NET exception as Newtonsoft writes it through `ISerializable.GetObjectData`."""
    return {
        "$type": f"{class_name}, {assembly}",
        "ClassName": class_name,
        "Message": message,
        "Data": None,
        "InnerException": inner,
        "HelpURL": None,
        "StackTraceString": None,
        "RemoteStackTraceString": None,
        "RemoteStackIndex": 0,
        "ExceptionMethod": None,
        "HResult": E_FAIL,
        "Source": None,
        "WatsonBuckets": None,
    }


def details_text(exception: dict[str, Any]) -> str:
    """Newtonsoft's default (unindented) form."""
    return json.dumps(exception, separators=(",", ":"), ensure_ascii=False)


def _worker_message(exc: BaseException) -> str:
    """The message the Python worker reports for an exception (`Dispatcher._serialize_exception`)."""
    return f"{type(exc).__name__}: {exc}"


def _rpc_exception(exc: BaseException) -> dict[str, Any]:
    """The host's RpcException for a failed invocation, serialized by its public properties."""
    message, stack = _worker_message(exc), "".join(traceback.format_exception(exc)).rstrip()
    return {
        "$type": RPC_EXCEPTION,
        "IsUserException": False,
        "RemoteStackTrace": stack,
        "RemoteMessage": message,
        "RemoteTypeName": None,
        "Message": f"Result: Failure\nException: {message}\nStack: {stack}",
        "Data": None,
        "InnerException": None,
        "HelpLink": None,
        "Source": None,
        "HResult": E_FAIL,
        "StackTrace": None,
    }


def activity_failure(name: str, exc: BaseException) -> tuple[str, str]:
    """(Reason, Details) for a Python activity that raised `exc`."""
    friendly = f" {_worker_message(exc)}"  # what follows "\nException:" in the RpcException's message
    reason = f"Activity function '{name}' failed: {friendly}"
    cause = serialized_exception("System.Exception", "System.Private.CoreLib", friendly, _rpc_exception(exc))
    return reason, details_text(cause)


def unhandled_details(class_name: str, message: str) -> str:
    """Details for an exception that is not a TaskFailureException (DTFx's `TaskActivityDispatcher`)."""
    return f"Unhandled exception while executing task: {class_name}: {message}"
