"""Conformance app for the embedded host, written the way the SDK documents it.

Durable functions (orchestrators, activities, entities) live in durable_bp.py;
HTTP and timer triggers in http_bp.py.
"""

import azure.durable_functions as df
import azure.functions as func
from durable_bp import bp as durable_bp
from http_bp import bp as http_bp

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.register_functions(durable_bp)
app.register_functions(http_bp)
