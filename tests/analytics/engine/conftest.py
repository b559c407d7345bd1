"""Fixtures shared by the engine tests: the worked example loaded as the data contract says."""
from __future__ import annotations

import pytest

from tests.analytics.engine.helpers import TINY, load_folder


@pytest.fixture(scope="module")
def tiny():
    return load_folder(TINY)
