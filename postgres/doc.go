// Package postgres is the PostgreSQL [vetshare.Store].
package postgres
