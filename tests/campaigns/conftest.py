from tests.seizures.conftest import record  # noqa: F401 - the seizure-recording fixture
