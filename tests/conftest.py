import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Screen journals moved to the cache directory (igfnet.analysis.screen.journal) go to a directory
# of this run, never to the user's ~/.cache; the commands the tests start inherit it.
os.environ["IGFNET_CACHE_DIR"] = tempfile.mkdtemp(prefix="igfnet-test-cache-")
