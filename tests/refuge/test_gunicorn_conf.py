"""gunicorn.conf.py's hooks, called as gunicorn calls them."""

import gc
import runpy

from django.conf import settings


def test_a_worker_hides_what_it_loaded_from_the_cycle_collector():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        config["post_worker_init"](worker=object())
        # Django and the apps, all imported by now, are out of every collection's walk.
        assert gc.get_freeze_count() > 10_000
        gc.collect()
        assert gc.get_freeze_count() > 10_000, "a full collection does not thaw them"
    finally:
        gc.unfreeze()
