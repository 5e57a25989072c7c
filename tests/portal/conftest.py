from tests.seizures.conftest import (  # noqa: F401 - the fixtures of the seizures tests
    record,
    reporters,
)
