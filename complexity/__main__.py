import sys

from complexity.cli import main

sys.exit(main())
