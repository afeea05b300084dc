/**
 * The database: SQLite (embedded) or PostgreSQL (shared), the connection pool and migrations, and
 * small helpers for statements and transactions.
 */
package io.audiencerelay.adapters.storage.jdbc;
