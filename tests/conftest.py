import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Parsed-model cache entries (igfnet.model_cache) go to a directory of this run, never to the
# user's ~/.cache; the commands the tests start inherit it.
os.environ["IGFNET_CACHE_DIR"] = tempfile.mkdtemp(prefix="igfnet-test-cache-")
