"""``python -m eval``: score the assistant on the gold set."""

from .run import main

raise SystemExit(main())
