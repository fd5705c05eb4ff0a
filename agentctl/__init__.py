"""agentctl: a command-line client for the template's run API (start, follow and approve runs).

    agentctl health | workflows | list [--workflow W] [--status S] [--limit N] [--cursor C]
    agentctl run WORKFLOW --input JSON|@file.json|@- [--follow] [--wait S] [--json]
    agentctl status ID | steps ID [--full] | events ID [--follow] [--after E]
    agentctl approve ID [--reject] [--comment T] | answer ID --response JSON [--request R]
    agentctl terminate ID [--reason T] | chat SESSION [--wait S]

Read commands take `--json` for the API's own document.

The API is found through `--url`, `AGENTCTL_URL`, `SERVICE_API_URI` (azd) or
http://localhost:7071; `--key`/`AGENTCTL_KEY` is sent as `x-functions-key`. Exit codes:
0 success, 1 the run failed or was terminated (or the API refused the operation),
2 usage error, 3 API unreachable, 4 not found.
"""
