"""Placeholder: filled in by its owner."""

import azure.durable_functions as df

bp = df.Blueprint()
