"""Import an app's ``function_app.py`` the way the Python worker does and list its functions (protocol §1)."""

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import azure.functions as func
from azure.functions.decorators.function_app import Function

from devhost.registry import DurableRegistry

APP_MODULE = "function_app"


@dataclass(frozen=True)
class LoadedApp:
    """The imported app module, its functions (``get_functions()`` may run only once) and durable registry."""

    module: ModuleType
    functions: list[Function]
    registry: DurableRegistry


def _import_app_module(app_dir: Path) -> ModuleType:
    """Import under the real name ``function_app``: custom-object decoding looks classes up there."""
    script = app_dir / f"{APP_MODULE}.py"
    if not script.is_file():
        raise FileNotFoundError(f"no {APP_MODULE}.py in app folder {app_dir}")
    if str(app_dir) not in sys.path:
        sys.path.insert(0, str(app_dir))
    spec = importlib.util.spec_from_file_location(APP_MODULE, script)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {script}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[APP_MODULE] = module
    spec.loader.exec_module(module)
    return module


def _find_app(module: ModuleType) -> func.FunctionRegister:
    apps = [value for value in vars(module).values() if isinstance(value, func.FunctionRegister)]
    if len(apps) != 1:
        raise ValueError(
            f"{module.__file__} must define exactly one FunctionApp/DFApp at module level, found {len(apps)}"
        )
    return apps[0]


def load_app(app_dir: Path) -> LoadedApp:
    """Put ``app_dir`` on ``sys.path``, import its ``function_app.py`` and index its functions."""
    module = _import_app_module(Path(app_dir).resolve())
    functions = _find_app(module).get_functions()
    return LoadedApp(module=module, functions=functions, registry=DurableRegistry(functions))
