package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"kundportal/internal/repair"
)

// userColumns are a user's columns for scanUser, from users u joined to
// its customer by userCustomer (staff have none).
const userColumns = `u.id, u.customer_id, u.email, u.name, u.phone, u.role, u.password_hash, u.disabled,
	u.must_change_password, u.reporter_name, u.reporter_phone, u.created_at,
	COALESCE(uk.invoices_admins_only, FALSE), u.totp_secret <> '', u.mail_digest, COALESCE(uk.mail_version, 0)`

// userCustomer joins the customer's settings that userColumns read with
// the user, in one look-up of its row.
const userCustomer = `LEFT JOIN customers uk ON uk.id = u.customer_id`

func scanUser(r rowScanner) (repair.User, error) {
	var u repair.User
	var cust sql.NullInt64
	err := r.Scan(&u.ID, &cust, &u.Email, &u.Name, &u.Phone, &u.Role, &u.PasswordHash, &u.Disabled,
		&u.MustChangePassword, &u.ReporterName, &u.ReporterPhone, &u.CreatedAt, &u.InvoicesAdminsOnly, &u.TOTPEnabled, &u.MailDigest, &u.MailVersion)
	u.CustomerID = cust.Int64
	return u, err
}

// NormalizeEmail is the form in which e-mail addresses are stored and looked
// up, so that logins are case-insensitive.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser inserts u (with its password already hashed) and sets its ID.
// A duplicate e-mail address gives repair.ErrConflict.
func (tx *Tx) CreateUser(ctx context.Context, u *repair.User) error {
	u.Email = NormalizeEmail(u.Email)
	u.CreatedAt = tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO users (customer_id, email, name, phone, role, password_hash, disabled, must_change_password, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(u.CustomerID), u.Email, u.Name, u.Phone, u.Role, u.PasswordHash, u.Disabled, u.MustChangePassword, u.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: create user %s: %w", u.Email, err)
	}
	u.ID = id
	return nil
}

// UserByEmail returns the user with the e-mail address, for login.
func (db *DB) UserByEmail(ctx context.Context, email string) (repair.User, error) {
	u, err := scanUser(db.queryRow(ctx, `
		SELECT `+userColumns+`
		FROM users u `+userCustomer+`
		WHERE u.email = ?`, NormalizeEmail(email)))
	if err != nil {
		return u, fmt.Errorf("store: user by email: %w", db.d.mapErr(err))
	}
	return u, nil
}

// User returns the user with id, if scope may see it: staff see everyone,
// a customer its own people, a technician itself.
func (db *DB) User(ctx context.Context, scope repair.Scope, id int64) (repair.User, error) {
	u, err := scanUser(db.queryRow(ctx, `
		SELECT `+userColumns+`
		FROM users u `+userCustomer+`
		WHERE u.id = ?
		  AND `+scopeUser(scope, "u"), id))
	if err != nil {
		return u, fmt.Errorf("store: user %d: %w", id, db.d.mapErr(err))
	}
	return u, nil
}

// UsersByRole lists the users with the role that scope may see, by name;
// for staff pickers.
func (db *DB) UsersByRole(ctx context.Context, scope repair.Scope, role repair.Role) ([]repair.User, error) {
	rows, err := db.query(ctx, `
		SELECT `+userColumns+`
		FROM users u `+userCustomer+`
		WHERE u.role = ?
		  AND `+scopeUser(scope, "u")+`
		ORDER BY u.name, u.id`, role)
	out, err := collect(rows, err, scanUser)
	if err != nil {
		return nil, fmt.Errorf("store: users by role: %w", err)
	}
	return out, nil
}

// SetPassword replaces a user's password hash and ends the user's other
// sessions, so a changed password locks out whoever knew the old one.
func (tx *Tx) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool) error {
	if err := tx.exec(ctx, `
		UPDATE users
		SET password_hash = ?, must_change_password = ?
		WHERE id = ?`, hash, mustChange, userID); err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	if err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: set password: end sessions: %w", err)
	}
	return nil
}

// SetUserRole gives user userID role.
func (tx *Tx) SetUserRole(ctx context.Context, userID int64, role repair.Role) error {
	return wrapErr("set user role", tx.exec(ctx, `UPDATE users SET role = ? WHERE id = ?`, role, userID))
}

// SetReporterDefaults remembers what the user entered as Anmälare and Tel
// anmälare, to offer next time.
func (tx *Tx) SetReporterDefaults(ctx context.Context, userID int64, name, phone string) error {
	// Written only when they change: on PostgreSQL an update locks the
	// user's row until the commit, so that every save of the same user
	// waited for the one before it to commit (200–280 saves/s with 32
	// writers, all waiting on that lock), though the values are mostly
	// those of the user's last case.
	if err := tx.exec(ctx, `
		UPDATE users
		SET reporter_name = ?, reporter_phone = ?
		WHERE id = ?
		  AND (reporter_name <> ? OR reporter_phone <> ?)`, name, phone, userID, name, phone); err != nil {
		return fmt.Errorf("store: set reporter defaults: %w", err)
	}
	return nil
}

// CustomerUsers lists a customer's users that scope may see, by name.
func (db *DB) CustomerUsers(ctx context.Context, scope repair.Scope, customerID int64) ([]repair.User, error) {
	rows, err := db.query(ctx, `
		SELECT `+userColumns+`
		FROM users u `+userCustomer+`
		WHERE u.customer_id = ?
		  AND `+scopeUser(scope, "u")+`
		ORDER BY u.name, u.id`, customerID)
	out, err := collect(rows, err, scanUser)
	if err != nil {
		return nil, fmt.Errorf("store: customer users: %w", err)
	}
	return out, nil
}

// SetUserDisabled disables or enables a login; disabling ends the user's
// sessions at once.
func (tx *Tx) SetUserDisabled(ctx context.Context, userID int64, disabled bool) error {
	if err := tx.exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, disabled, userID); err != nil {
		return fmt.Errorf("store: set user disabled: %w", err)
	}
	if disabled {
		if err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("store: set user disabled: end sessions: %w", err)
		}
	}
	return nil
}
