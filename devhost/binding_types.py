"""Which trigger types exist at all, so a misspelt one is named as such rather than as "not run here".

A trigger type the Functions host does not know fails the function under `func start` too
("The binding type(s) '...' were not found in the configured extension bundle",
`FunctionDescriptorProvider`). The types known are the host's own (`httpTrigger`, `manualTrigger`:
`Utility.IsHttporManualTrigger`; `timerTrigger`: `CoreExtensionsScriptBindingProvider`;
`warmupTrigger`: `ScriptJobHostExtensions`), the triggers the extension bundle lists
(`src/Microsoft.Azure.Functions.ExtensionBundle/extensions.json` in azure-functions-extension-bundles)
and those the Python library has decorators for (`azure.functions.decorators.constants`), which adds
the OpenAI and connector extensions. Types compare case-insensitively, as the host compares them.
"""

import difflib

HOST_TRIGGERS = ("httpTrigger", "manualTrigger", "timerTrigger", "warmupTrigger")
BUNDLE_TRIGGERS = (
    "blobTrigger",
    "queueTrigger",
    "serviceBusTrigger",
    "eventHubTrigger",
    "activityTrigger",
    "orchestrationTrigger",
    "entityTrigger",
    "eventGridTrigger",
    "cosmosDBTrigger",
    "signalRTrigger",
    "rabbitMQTrigger",
    "kafkaTrigger",
    "sqlTrigger",
    "webPubSubTrigger",
    "daprBindingTrigger",
    "daprServiceInvocationTrigger",
    "daprTopicTrigger",
    "redisPubSubTrigger",
    "redisStreamTrigger",
    "redisListTrigger",
    "mySqlTrigger",
    "mcpToolTrigger",
    "mcpResourceTrigger",
    "mcpPromptTrigger",
)
LIBRARY_TRIGGERS = ("assistantSkillTrigger", "connectorTrigger")
KNOWN_TRIGGERS = {name.lower(): name for name in (*HOST_TRIGGERS, *BUNDLE_TRIGGERS, *LIBRARY_TRIGGERS)}


def is_known_trigger(trigger_type: str) -> bool:
    return trigger_type.lower() in KNOWN_TRIGGERS


def unknown_trigger_note(trigger_type: str) -> str:
    """The function table's note for a trigger type no host or extension knows, with the likely one."""
    close = difflib.get_close_matches(trigger_type.lower(), list(KNOWN_TRIGGERS), n=1, cutoff=0.8)
    hint = f" (did you mean '{KNOWN_TRIGGERS[close[0]]}'?)" if close else ""
    return f"[unknown trigger type '{trigger_type}'{hint}: func start fails this function too]"
