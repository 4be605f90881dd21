package orders

import (
	"context"
	"errors"
	"strings"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/notify"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Glömt lösenord. A reset link is mailed to the account's address; its
// token is stored hashed, valid for ResetTTL and once, and the link is
// made from the site's public address alone (UseMail), never from the
// request, whose Host an attacker chooses. The answer to a request is the
// same, and takes as long, whether the address has an account or not,
// and requests are throttled like logins, per address asked for and per
// client. Setting the new password ends every session of the user.

// ResetTTL is how long a reset link works.
const ResetTTL = 30 * time.Minute

// resetFloor is the least time a reset request takes, so that the writes
// for an account that exists cannot be timed.
const resetFloor = 300 * time.Millisecond

// ResetRequest is a Glömt lösenord form: the address asked for and the
// client's address, for throttling.
type ResetRequest struct {
	Email   string
	Address string
}

// RequestPasswordReset mails a reset link to the account of in.Email, if
// there is one that may sign in. It answers nil either way: only an empty
// field (repair.FieldErrors) and ErrThrottled differ, and neither depends
// on the account.
func (o *Ops) RequestPasswordReset(ctx context.Context, in ResetRequest) error {
	email := store.NormalizeEmail(in.Email)
	if email == "" {
		return repair.FieldErrors{"email": "Ange din e-postadress."}
	}
	start := time.Now()
	defer func() {
		select {
		case <-time.After(time.Until(start.Add(resetFloor))):
		case <-ctx.Done():
		}
	}()
	email = throttleEmail(email)
	accountKey, addressKey := "reset:"+email, "reset-address:"+clip(in.Address, maxAddress)
	if err := o.throttled(ctx, accountKey, addressKey); err != nil {
		return err
	}
	u, err := o.db.UserByEmail(ctx, email)
	known := err == nil && !u.Disabled
	if err != nil && !errors.Is(err, repair.ErrNotFound) {
		return err
	}
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return err
	}
	rm := notify.ResetMail{Company: o.company.Name, Name: u.Name, Email: email, Link: o.link(repair.ResetPath + token)}
	subject, text, html, err := rm.Render()
	if err != nil {
		return err
	}
	return o.db.Update(ctx, func(tx *store.Tx) error {
		// Every request counts, for an account or not.
		if err := tx.AddLoginFailure(ctx, accountKey, addressKey); err != nil || !known {
			return err
		}
		if err := tx.CreatePasswordReset(ctx, tokenHash, u.ID, ResetTTL); err != nil {
			return err
		}
		m := repair.Mail{MessageID: o.messageID(), Event: repair.MailPasswordReset, CustomerID: u.CustomerID, UserID: u.ID,
			Recipient: u.Email, Subject: subject, Text: text, HTML: html}
		if err := tx.EnqueueMail(ctx, &m, 0); err != nil {
			return err
		}
		return tx.Audit(ctx, u.ID, "user", u.ID, "password reset", "Länk för nytt lösenord skickad")
	})
}

// PasswordResetUser is the user a reset link's token is for, while the
// link works; otherwise repair.ErrNotFound.
func (o *Ops) PasswordResetUser(ctx context.Context, token string) (repair.User, error) {
	if !validToken(token) {
		return repair.User{}, repair.ErrNotFound
	}
	return o.db.PasswordResetUser(ctx, auth.HashToken(token))
}

// ResetForgottenPassword sets the password a reset link's owner chose: the link is
// used up (with every other link of the user) and every session of the
// user ends. A link that no longer works is repair.ErrNotFound.
func (o *Ops) ResetForgottenPassword(ctx context.Context, token string, in repair.NewPasswordInput) (repair.User, error) {
	u, err := o.PasswordResetUser(ctx, token)
	if err != nil {
		return u, err
	}
	if err := invalid(in.Validate()); err != nil {
		return u, err
	}
	hash, err := auth.HashPassword(in.New)
	if err != nil {
		return u, err
	}
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		id, err := tx.UsePasswordReset(ctx, auth.HashToken(token))
		if err != nil {
			return err
		}
		if err := tx.SetPassword(ctx, id, hash, false); err != nil {
			return err
		}
		return tx.Audit(ctx, id, "user", id, "password", "Nytt lösenord via Glömt lösenord")
	})
	return u, err
}

// validToken reports whether s can be a token auth.NewToken made.
func validToken(s string) bool {
	return len(s) == 43 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == ""
}
