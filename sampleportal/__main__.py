import sys

from sampleportal.server import main

sys.exit(main())
