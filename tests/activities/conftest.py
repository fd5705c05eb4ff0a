"""Fixtures for the activities tests."""

from tests.agents.model_env import clean_model_env

__all__ = ["clean_model_env"]
