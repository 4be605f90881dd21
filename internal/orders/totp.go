package orders

import (
	"context"
	"errors"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// Two-factor login for staff. Admins and dispatchers must have it (and
// technicians where RequireTOTPForTechnicians is set): until they have
// set it up, the site shows them nothing but the page that does. A
// customer's people may turn it on. The secret is sealed with the site's
// key; a code is taken once; a wrong code counts as a failed login, with
// the same throttle. Turning it on, a recovery code's use and an admin's
// reset are in the audit log.

// RecoveryCodeCount is how many recovery codes a user gets.
const RecoveryCodeCount = 10

// challengeTTL is how long a right password waits for its code.
const challengeTTL = 5 * time.Minute

// totpIssuer names the site in the authenticator app.
const totpIssuer = "Kundportal"

// ErrBadCode is a wrong code, or one taken before, at the second step of
// a login.
var ErrBadCode = errors.New("orders: wrong code")

// RequireTOTPForTechnicians makes technicians set up two-factor login
// too (KUNDPORTAL_TOTP_TECHNICIANS).
func (o *Ops) RequireTOTPForTechnicians(on bool) { o.totpTechnicians = on }

// TOTPRequired reports whether u must sign in with a code.
func (o *Ops) TOTPRequired(u repair.User) bool {
	switch u.Role {
	case repair.RoleAdmin, repair.RoleDispatcher:
		return true
	case repair.RoleTechnician:
		return o.totpTechnicians
	}
	return false
}

// TOTPEnrollment is a secret for u to add to its app: shown as a QR code
// and as text, and carried to EnableTOTP sealed, so that the secret is
// stored only once a code from it has been typed.
type TOTPEnrollment struct {
	auth.TOTPKey
	Sealed string
}

// StartTOTP makes a new secret for u.
func (o *Ops) StartTOTP(u repair.User) (TOTPEnrollment, error) {
	k, err := auth.NewTOTPKey(totpIssuer, u.Email)
	if err != nil {
		return TOTPEnrollment{}, err
	}
	sealed, err := o.box.Seal(k.Secret)
	return TOTPEnrollment{TOTPKey: k, Sealed: sealed}, err
}

// EnableTOTP turns two-factor login on for u with the sealed secret of
// StartTOTP, once code shows that u's app has it; it returns the
// recovery codes, shown once.
func (o *Ops) EnableTOTP(ctx context.Context, u repair.User, sealed, code string) ([]string, error) {
	secret, err := o.box.Open(sealed)
	if err != nil || secret == "" {
		return nil, repair.FieldErrors{"code": "Börja om: ladda om sidan och skanna den nya QR-koden."}
	}
	step, ok := auth.MatchTOTP(secret, code, o.now(), 0)
	if !ok {
		return nil, repair.FieldErrors{"code": "Koden stämmer inte. Skriv de sex siffrorna som appen visar nu."}
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	err = o.change(ctx, u, fixed("user", u.ID, "totp", "Tvåstegsverifiering påslagen"), func(tx *store.Tx) error {
		return tx.SetTOTP(ctx, u.ID, sealed, step, hashes)
	})
	return codes, err
}

// NewRecoveryCodes replaces u's recovery codes with new ones, shown once.
func (o *Ops) NewRecoveryCodes(ctx context.Context, u repair.User) ([]string, error) {
	if !u.TOTPEnabled {
		return nil, repair.FieldErrors{"totp": "Slå på tvåstegsverifiering först."}
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	err = o.change(ctx, u, fixed("user", u.ID, "totp", "Nya reservkoder"), func(tx *store.Tx) error {
		return tx.ReplaceRecoveryCodes(ctx, u.ID, hashes)
	})
	return codes, err
}

func newRecoveryCodes() (codes, hashes []string, err error) {
	if codes, err = auth.RecoveryCodes(RecoveryCodeCount); err != nil {
		return nil, nil, err
	}
	for _, c := range codes {
		hashes = append(hashes, auth.RecoveryCodeHash(c))
	}
	return codes, hashes, nil
}

// DisableTOTP turns u's two-factor login off, where u may be without it.
func (o *Ops) DisableTOTP(ctx context.Context, u repair.User) error {
	if o.TOTPRequired(u) {
		return repair.FieldErrors{"totp": "Din roll måste logga in med tvåstegsverifiering."}
	}
	return o.change(ctx, u, fixed("user", u.ID, "totp", "Tvåstegsverifiering avstängd"), func(tx *store.Tx) error {
		return tx.SetTOTP(ctx, u.ID, "", 0, nil)
	})
}

// RecoveryCodesLeft counts u's unused recovery codes.
func (o *Ops) RecoveryCodesLeft(ctx context.Context, u repair.User) (int, error) {
	return o.db.RecoveryCodesLeft(ctx, u.ID)
}

// ResetStaffTOTP turns a staff member's two-factor login off, for a lost
// phone; the admin only, never for itself. The member sets it up again
// at the next login.
func (o *Ops) ResetStaffTOTP(ctx context.Context, admin repair.User, userID int64) (repair.User, error) {
	su, err := o.staffMember(ctx, admin, userID, "totp")
	if err != nil {
		return su, err
	}
	err = o.change(ctx, admin, fixed("user", su.ID, "totp", "Tvåstegsverifiering återställd av administratör"), func(tx *store.Tx) error {
		return tx.SetTOTP(ctx, su.ID, "", 0, nil)
	})
	return su, err
}

// ResetStaffPassword gives a staff member a start password that must be
// changed at the next login, and ends its sessions; the admin only,
// never for itself (it changes its own on Byt lösenord).
func (o *Ops) ResetStaffPassword(ctx context.Context, admin repair.User, userID int64, password string) (repair.User, error) {
	su, err := o.staffMember(ctx, admin, userID, "password")
	if err != nil {
		return su, err
	}
	return su, o.setStartPassword(ctx, admin, su, password, fixed("user", su.ID, "password", "Nytt startlösenord av administratör"))
}

// staffMember loads a staff login for an admin's change; a customer's
// login is not found, the admin's own is a message on field.
func (o *Ops) staffMember(ctx context.Context, admin repair.User, userID int64, field string) (repair.User, error) {
	if err := adminOnly(admin); err != nil {
		return repair.User{}, err
	}
	su, err := o.db.User(ctx, repair.StaffScope(), userID)
	if err == nil && su.Role.IsCustomer() {
		err = repair.ErrNotFound
	}
	if err != nil {
		return su, err
	}
	if su.ID == admin.ID {
		return su, repair.FieldErrors{field: "Du kan inte återställa din egen inloggning här."}
	}
	return su, nil
}

// CodeInput is the second step of a login: the challenge of the first,
// the code typed (from the app, or a recovery code), and as for
// LoginInput the client's address and the session it replaces.
type CodeInput struct {
	Challenge    string
	Code         string
	Address      string
	OldTokenHash string
}

// ErrChallengeGone means the first step of the login is too old or was
// used: sign in again.
var ErrChallengeGone = errors.New("orders: login challenge gone")

// CompleteSignIn takes the code of a login whose password was right and
// starts its session. A wrong code counts against the account and the
// client address as a wrong password does.
func (o *Ops) CompleteSignIn(ctx context.Context, in CodeInput) (Login, error) {
	if !validToken(in.Challenge) {
		return Login{}, ErrChallengeGone
	}
	challengeHash := auth.HashToken(in.Challenge)
	u, err := o.db.LoginChallengeUser(ctx, challengeHash)
	if errors.Is(err, repair.ErrNotFound) {
		return Login{}, ErrChallengeGone
	}
	if err != nil {
		return Login{}, err
	}
	if in.Code == "" {
		return Login{}, repair.FieldErrors{"code": "Skriv koden från appen, eller en reservkod."}
	}
	accountKey, addressKey := "account:"+u.Email, "address:"+clip(in.Address, maxAddress)
	if err := o.throttled(ctx, accountKey, addressKey); err != nil {
		return Login{}, err
	}
	sealed, lastStep, err := o.db.TOTPSecret(ctx, u.ID)
	if err != nil {
		return Login{}, err
	}
	// A secret that does not open (the site's key was changed) takes no
	// code; the recovery codes still work, and an admin can reset it.
	secret, _ := o.box.Open(sealed)
	step, isTOTP := int64(0), false
	if secret != "" {
		step, isTOTP = auth.MatchTOTP(secret, in.Code, o.now(), lastStep)
	}
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return Login{}, err
	}
	expires := o.db.Now().Add(SessionIdle)
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		ok := false
		if isTOTP {
			if ok, err = tx.TakeTOTPStep(ctx, u.ID, step); err != nil {
				return err
			}
		} else {
			if ok, err = tx.UseRecoveryCode(ctx, u.ID, auth.RecoveryCodeHash(in.Code)); err != nil {
				return err
			}
			if ok {
				if err := tx.Audit(ctx, u.ID, "user", u.ID, "totp", "Inloggning med reservkod"); err != nil {
					return err
				}
			}
		}
		if !ok {
			return ErrBadCode
		}
		switch gone, err := tx.DeleteLoginChallenge(ctx, challengeHash); {
		case err != nil:
			return err
		case !gone:
			return ErrChallengeGone
		}
		return startSession(ctx, tx, in.OldTokenHash, accountKey, tokenHash, u.ID, expires)
	})
	if errors.Is(err, ErrBadCode) {
		if err := o.db.Update(ctx, func(tx *store.Tx) error { return tx.AddLoginFailure(ctx, accountKey, addressKey) }); err != nil {
			return Login{}, err
		}
		return Login{}, ErrBadCode
	}
	if err != nil {
		return Login{}, err
	}
	return Login{Token: token, Expires: expires, User: u}, nil
}

// clip is s cut to at most n bytes.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// UseTOTPSecret gives the user of email two-factor login with a secret
// known beforehand, whose next code may be taken: for the demo's staff
// (a secret the README names) and for tests.
func (o *Ops) UseTOTPSecret(ctx context.Context, email, secret string) error {
	u, err := o.db.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	sealed, err := o.box.Seal(secret)
	if err != nil {
		return err
	}
	return o.db.Update(ctx, func(tx *store.Tx) error { return tx.SetTOTP(ctx, u.ID, sealed, 0, nil) })
}
