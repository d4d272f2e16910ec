"""`python -m bot`: the one allowed bot -> adapters import."""

from adapters.cli import main

raise SystemExit(main())
