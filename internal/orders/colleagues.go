package orders

import (
	"context"
	"time"

	"kundportal/internal/auth"
	"kundportal/internal/notify"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// A customer's admin manages its colleagues in the portal: invites them
// by e-mail (the invitation's link sets the password, as a reset link
// does), blocks and unblocks them, and makes them admins or users. Never
// itself, and never another customer's people, who are not found.

// InviteTTL is how long an invitation's link works.
const InviteTTL = 7 * 24 * time.Hour

// customerAdmin refuses anyone but a customer's admin, as not found.
func customerAdmin(u repair.User) error {
	if u.Role != repair.RoleCustomerAdmin || u.CustomerID == 0 {
		return repair.ErrNotFound
	}
	return nil
}

// Colleagues are the people of u's customer, u too; for its admin.
func (o *Ops) Colleagues(ctx context.Context, u repair.User) ([]repair.User, error) {
	if err := customerAdmin(u); err != nil {
		return nil, err
	}
	return o.db.CustomerUsers(ctx, repair.CustomerScope(u.CustomerID), u.CustomerID)
}

// InviteColleague gives a new colleague of admin's customer a login and
// mails the invitation, whose link sets the password; in.Password is not
// used.
func (o *Ops) InviteColleague(ctx context.Context, admin repair.User, in repair.UserInput) (repair.User, error) {
	if err := customerAdmin(admin); err != nil {
		return repair.User{}, err
	}
	// A password no one knows, until the invitation's link sets one.
	unknown, _, err := auth.NewToken()
	if err != nil {
		return repair.User{}, err
	}
	in.Password = unknown
	nu, pw, fe := in.Validate(customerRoles)
	if err := invalid(fe); err != nil {
		return nu, err
	}
	nu.CustomerID = admin.CustomerID
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		return nu, err
	}
	err = o.createUser(ctx, admin, &nu, pw, func() audit { return audit{"customer", admin.CustomerID, "user", "Inbjudan skickad: " + nu.Email} },
		func(tx *store.Tx) error {
			if err := tx.CreatePasswordReset(ctx, tokenHash, nu.ID, InviteTTL); err != nil {
				return err
			}
			im := notify.InviteMail{Company: o.company.Name, Name: nu.Name, Email: nu.Email, InvitedBy: admin.Name,
				Link: o.link(repair.ResetPath + token)}
			subject, text, html, err := im.Render()
			if err != nil {
				return err
			}
			m := repair.Mail{MessageID: o.messageID(), Event: repair.MailInvitation, CustomerID: nu.CustomerID, UserID: nu.ID,
				Recipient: nu.Email, Subject: subject, Text: text, HTML: html}
			return tx.EnqueueMail(ctx, &m, 0)
		})
	return nu, err
}

// colleague loads one of admin's customer's people other than admin
// itself: another customer's, or a staff login, is not found; admin
// itself is a message on field.
func (o *Ops) colleague(ctx context.Context, admin repair.User, id int64, field string) (repair.User, error) {
	if err := customerAdmin(admin); err != nil {
		return repair.User{}, err
	}
	cu, err := o.db.User(ctx, repair.CustomerScope(admin.CustomerID), id)
	if err == nil && (cu.CustomerID != admin.CustomerID || !cu.Role.IsCustomer()) {
		err = repair.ErrNotFound
	}
	if err != nil {
		return cu, err
	}
	if cu.ID == admin.ID {
		return cu, repair.FieldErrors{field: "Du kan inte ändra din egen inloggning här."}
	}
	return cu, nil
}

// SetColleagueDisabled blocks or unblocks a colleague's login; blocking
// ends its sessions at once.
func (o *Ops) SetColleagueDisabled(ctx context.Context, admin repair.User, id int64, disabled bool) (repair.User, error) {
	cu, err := o.colleague(ctx, admin, id, "user")
	if err != nil {
		return cu, err
	}
	return cu, o.setLoginDisabled(ctx, admin, cu, disabled)
}

// SetColleagueRole makes a colleague an admin of the customer or a user.
func (o *Ops) SetColleagueRole(ctx context.Context, admin repair.User, id int64, role repair.Role) (repair.User, error) {
	cu, err := o.colleague(ctx, admin, id, "role")
	if err != nil {
		return cu, err
	}
	if role != repair.RoleCustomerUser && role != repair.RoleCustomerAdmin {
		return cu, repair.FieldErrors{"role": "Välj en roll."}
	}
	if cu.Role == role {
		return cu, nil
	}
	err = o.change(ctx, admin, fixed("customer", cu.CustomerID, "user", "Roll för "+cu.Email+": "+role.Label()), func(tx *store.Tx) error {
		return tx.SetUserRole(ctx, cu.ID, role)
	})
	return cu, err
}

// CustomerMails are the mails sent to admin's customer's people, newest
// first, a page at a time, without any reset link's token.
func (o *Ops) CustomerMails(ctx context.Context, admin repair.User, before int64) ([]repair.Mail, bool, error) {
	if err := customerAdmin(admin); err != nil {
		return nil, false, err
	}
	mails, more, err := o.db.Mails(ctx, repair.CustomerScope(admin.CustomerID), store.MailFilter{Before: before})
	for i := range mails {
		mails[i] = mails[i].Redacted()
	}
	return mails, more, err
}
