"""`python -m replaycheck`: see replaycheck.cli for the options."""

from replaycheck.cli import main

raise SystemExit(main())
