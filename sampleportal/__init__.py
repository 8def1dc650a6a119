"""A local TRS-style county portal publishing the seed reports; used by the demo and the tests."""
