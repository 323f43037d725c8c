"""Thread policy: all usable cores by default, TRACUU_THREADS overrides, OpenMP waits passively."""

from __future__ import annotations

import os

import pytest

from indexer.settings import Settings, apply_thread_policy, usable_cores


def test_default_is_every_usable_core() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert usable_cores() == expected
    assert Settings.from_env({}).threads == expected
    assert Settings().threads == expected
    assert Settings.from_env({"TRACUU_THREADS": "0"}).threads == expected


def test_environment_and_overrides_win() -> None:
    assert Settings.from_env({"TRACUU_THREADS": "3"}).threads == 3
    assert Settings.from_env({"TRACUU_THREADS": "3"}, threads=1).threads == 1


def test_policy_pins_threads_and_passive_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY"):
        monkeypatch.delenv(var, raising=False)
    apply_thread_policy(Settings.from_env({}))
    assert os.environ["OMP_NUM_THREADS"] == str(usable_cores())
    assert os.environ["OPENBLAS_NUM_THREADS"] == str(usable_cores())
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
