"""replaycheck: a determinism linter for Durable Functions Python orchestrators.

An orchestrator is replayed from its history every time it wakes up, so it must make the
same decisions on every run. The Python SDK does not check that: code that reads the clock,
the environment or a random number, does I/O, or iterates a set silently behaves differently
on replay (azure-functions-durable-python issue #189). This package finds such code
statically, in the orchestrators and in every project helper they call.

Usage::

    python -m replaycheck                    # ./function_app.py and the project modules it imports
    python -m replaycheck orchestrators/     # given files and folders (and what they import)
    python -m replaycheck --min-orchestrators 8
    python -m replaycheck --list-rules

Output lines are ``path:line:col: RCnnn message (hint: ...)``; the summary goes to stderr.
Exit 1 on findings (or fewer orchestrators than ``--min-orchestrators``), 0 when clean,
2 on usage errors. ``# replaycheck: ignore[RC001,RC005]`` (or a bare ``ignore``) at the end
of a line silences it.

As a pre-commit hook (a local hook in ``.pre-commit-config.yaml``; the whole app is checked
on every commit because an orchestrator's helpers live in other files)::

    - repo: local
      hooks:
        - id: replaycheck
          name: replaycheck (orchestrator determinism)
          entry: .venv/bin/python -m replaycheck --min-orchestrators 8
          language: system
          types: [python]
          pass_filenames: false

or, for repositories that consume this one as a hook source, a ``.pre-commit-hooks.yaml``::

    - id: replaycheck
      name: replaycheck (orchestrator determinism)
      description: Find non-deterministic code in Durable Functions orchestrators.
      entry: python -m replaycheck
      language: python
      types: [python]
      pass_filenames: false
"""
