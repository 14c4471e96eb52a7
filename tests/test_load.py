"""Many readers at once, and a few hostile ones: the public server keeps answering.

A shorter version of ``make loadtest`` (which prints the figures for the README): every page
answers 200, every runaway query a 400 from the time limit, nothing a 5xx, no connection is
dropped, and the server's memory stays bounded. No latency is asserted: the machine is shared.
"""

from __future__ import annotations

from peacetalks.loadtest import run_load

ONE_GIGABYTE = 2**30


def test_the_server_survives_mixed_load_with_runaway_queries(built, tmp_path):
    report = run_load(built, seconds=8, connections=32, workers=2, expensive_connections=2,
                      log_path=tmp_path / "server.log")
    print("\n".join(report.lines()))
    assert report.requests > 0
    assert report.server_errors == 0, report.statuses
    assert report.dropped == 0
    assert not report.unexpected, report.unexpected
    assert report.latencies["table page"] and report.latencies["expensive sql"]
    assert 0 < report.peak_rss_bytes < ONE_GIGABYTE
