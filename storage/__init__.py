"""Storage shared by the app's side channels (the tool outbox, the token streams).

Both keep a SQLite file on one machine and an Azure table, reached as the app's identity, in Azure;
the connection, key and schema rules live here once.
"""
