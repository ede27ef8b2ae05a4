"""The Dask cluster that scripts/score-dask and scripts/train-dask run on: the scheduler given
(--scheduler ADDRESS), or a cluster of local worker processes (--workers N) started here."""
import logging

import distributed


def connect(scheduler, workers):
    """A client of the cluster, and the local cluster to close after it (None for a scheduler given)."""
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        return distributed.Client(scheduler, timeout="30s"), None
    # Its HTTP server on any free port: with the default 8787, a second cluster on the machine
    # (tests run in parallel) warns on stderr that the port is taken.
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0",
                                       silence_logs=logging.ERROR)
    return distributed.Client(cluster), cluster
