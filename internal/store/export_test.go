package store

import "context"

// ExecSQL runs raw SQL on the writer, with ? placeholders, for tests that
// must do what no store method does (such as trying to change the seal
// log).
func ExecSQL(ctx context.Context, db *DB, q string, args ...any) error {
	_, err := db.write.ExecContext(ctx, db.d.rebind(q), args...)
	return err
}
