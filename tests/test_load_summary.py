"""bench/load.py's verdict: every total a session saw is the one before or after the import."""

from bench.load import Session, summarize

BEFORE, AFTER = ("2020", "73,79"), ("2021", "79,85")
IMPORTED = {"seconds": 3.0, "error": None}


def _session(index, seen, errors=()):
    session = Session(index)
    session.chart_seconds["overview"] = [1.0, 2.0]
    session.seen, session.errors = list(seen), list(errors)
    return session


def test_old_then_new_totals_pass():
    lines = summarize([_session(0, [BEFORE, AFTER]), _session(1, [BEFORE])], BEFORE, AFTER, IMPORTED)
    assert lines[-1] == "LOAD OK"
    assert "median 1.50 s, worst 2.00 s over 4 loads" in lines[0]


def test_a_mixed_total_fails_and_is_named():
    mixed = ("2021", "76,10")
    lines = summarize([_session(0, [BEFORE, mixed])], BEFORE, AFTER, IMPORTED)
    assert lines[-1] == "LOAD FAILED"
    assert any("session 0 saw ('2021', '76,10')" in line for line in lines)


def test_a_session_error_or_an_import_that_changed_nothing_fails():
    assert summarize([_session(0, [BEFORE], ["overview: boom"])], BEFORE, AFTER, IMPORTED)[-1] == "LOAD FAILED"
    assert summarize([_session(0, [BEFORE])], BEFORE, BEFORE, IMPORTED)[-2].endswith("did not change")
