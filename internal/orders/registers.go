package orders

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"kundportal/internal/auth"
	"kundportal/internal/repair"
	"kundportal/internal/store"
)

// The order system's registers: customers with their logins, contracts and
// machines, and the company's own logins. Every change is audited on the
// customer (or the staff login) it concerns.

// CreateCustomer adds a customer to the register.
func (o *Ops) CreateCustomer(ctx context.Context, u repair.User, in repair.CustomerInput) (repair.Customer, error) {
	if err := staffOnly(u); err != nil {
		return repair.Customer{}, err
	}
	c, fe := in.Validate()
	if err := invalid(fe); err != nil {
		return c, err
	}
	err := o.change(ctx, u, func() audit { return audit{"customer", c.ID, "create", "Kund skapad: " + c.Name} }, func(tx *store.Tx) error {
		return tx.CreateCustomer(ctx, &c)
	})
	return c, conflictTo(err, "number", "Kundnumret finns redan.")
}

// UpdateCustomer saves a customer's register fields.
func (o *Ops) UpdateCustomer(ctx context.Context, u repair.User, id int64, in repair.CustomerInput) (repair.Customer, error) {
	if err := staffOnly(u); err != nil {
		return repair.Customer{}, err
	}
	old, err := o.db.Customer(ctx, repair.StaffScope(), id)
	if err != nil {
		return old, err
	}
	c, fe := in.Validate()
	c.ID, c.CreatedAt = old.ID, old.CreatedAt
	if err := invalid(fe); err != nil {
		return c, err
	}
	err = o.change(ctx, u, fixed("customer", c.ID, "update", "Kunduppgifter ändrade"), func(tx *store.Tx) error {
		return tx.UpdateCustomer(ctx, c)
	})
	return c, conflictTo(err, "number", "Kundnumret finns redan.")
}

// customerRoles are the roles the office may give a customer's people.
var customerRoles = []repair.Role{repair.RoleCustomerUser, repair.RoleCustomerAdmin}

// StaffRoles are the roles of the company's own people.
var StaffRoles = []repair.Role{repair.RoleDispatcher, repair.RoleTechnician, repair.RoleAdmin}

// CreateCustomerUser gives one of a customer's people a login with a start
// password that must be changed at the first login.
func (o *Ops) CreateCustomerUser(ctx context.Context, u repair.User, customerID int64, in repair.UserInput) (repair.User, error) {
	if err := staffOnly(u); err != nil {
		return repair.User{}, err
	}
	c, err := o.db.Customer(ctx, repair.StaffScope(), customerID)
	if err != nil {
		return repair.User{}, err
	}
	nu, pw, fe := in.Validate(customerRoles)
	if err := invalid(fe); err != nil {
		return nu, err
	}
	nu.CustomerID, nu.MustChangePassword = c.ID, true
	err = o.createUser(ctx, u, &nu, pw, func() audit { return audit{"customer", c.ID, "user", "Inloggning skapad: " + nu.Email} }, nil)
	return nu, err
}

// createUser hashes pw into nu and saves nu with its audit line, made once
// nu has its id, and whatever then (if not nil) writes with it in the
// same transaction; a taken e-mail address is a message on its field.
func (o *Ops) createUser(ctx context.Context, by repair.User, nu *repair.User, pw string, a func() audit, then func(*store.Tx) error) error {
	var err error
	if nu.PasswordHash, err = auth.HashPassword(pw); err != nil {
		return err
	}
	err = o.change(ctx, by, a, func(tx *store.Tx) error {
		if err := tx.CreateUser(ctx, nu); err != nil || then == nil {
			return err
		}
		return then(tx)
	})
	return conflictTo(err, "email", "E-postadressen används redan.")
}

// customerUser loads one of a customer's people; staff logins are the
// admins' business and are not found here.
func (o *Ops) customerUser(ctx context.Context, u repair.User, id int64) (repair.User, error) {
	if err := staffOnly(u); err != nil {
		return repair.User{}, err
	}
	cu, err := o.db.User(ctx, repair.StaffScope(), id)
	if err != nil {
		return cu, err
	}
	if !cu.Role.IsCustomer() {
		return cu, repair.ErrNotFound
	}
	return cu, nil
}

// SetCustomerUserDisabled blocks or unblocks one of a customer's logins;
// blocking ends its sessions at once.
func (o *Ops) SetCustomerUserDisabled(ctx context.Context, u repair.User, userID int64, disabled bool) (repair.User, error) {
	cu, err := o.customerUser(ctx, u, userID)
	if err != nil {
		return cu, err
	}
	return cu, o.setLoginDisabled(ctx, u, cu, disabled)
}

// setLoginDisabled blocks or unblocks customer login cu, by u, with its
// line in the customer's audit log.
func (o *Ops) setLoginDisabled(ctx context.Context, u, cu repair.User, disabled bool) error {
	what := "Inloggning öppnad: "
	if disabled {
		what = "Inloggning spärrad: "
	}
	return o.change(ctx, u, fixed("customer", cu.CustomerID, "user", what+cu.Email), func(tx *store.Tx) error {
		return tx.SetUserDisabled(ctx, cu.ID, disabled)
	})
}

// ResetPassword gives one of a customer's logins a new start password that
// must be changed at the next login, and ends its sessions.
func (o *Ops) ResetPassword(ctx context.Context, u repair.User, userID int64, password string) (repair.User, error) {
	cu, err := o.customerUser(ctx, u, userID)
	if err != nil {
		return cu, err
	}
	return cu, o.setStartPassword(ctx, u, cu, password, fixed("customer", cu.CustomerID, "user", "Nytt startlösenord: "+cu.Email))
}

// setStartPassword gives login target a start password that must be
// changed at the next login, ending its sessions, by u with audit line a.
func (o *Ops) setStartPassword(ctx context.Context, u, target repair.User, password string, a func() audit) error {
	if msg := repair.PasswordProblem(password); msg != "" {
		return repair.FieldErrors{"password": msg}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return o.change(ctx, u, a, func(tx *store.Tx) error { return tx.SetPassword(ctx, target.ID, hash, true) })
}

// CreateContract adds a contract to a customer.
func (o *Ops) CreateContract(ctx context.Context, u repair.User, customerID int64, in repair.ContractInput) (repair.Contract, error) {
	if err := staffOnly(u); err != nil {
		return repair.Contract{}, err
	}
	c, err := o.db.Customer(ctx, repair.StaffScope(), customerID)
	if err != nil {
		return repair.Contract{}, err
	}
	k, fe := in.Validate()
	if err := invalid(fe); err != nil {
		return k, err
	}
	k.CustomerID = c.ID
	err = o.change(ctx, u, fixed("customer", c.ID, "contract", "Avtal skapat: "+k.Number), func(tx *store.Tx) error {
		return tx.CreateContract(ctx, &k)
	})
	return k, conflictTo(err, "number", "Kunden har redan ett avtal med det numret.")
}

// UpdateContract saves a contract's fields (not its customer).
func (o *Ops) UpdateContract(ctx context.Context, u repair.User, id int64, in repair.ContractInput) (repair.Contract, error) {
	if err := staffOnly(u); err != nil {
		return repair.Contract{}, err
	}
	old, err := o.db.Contract(ctx, repair.StaffScope(), id)
	if err != nil {
		return old, err
	}
	k, fe := in.Validate()
	k.ID, k.CustomerID = old.ID, old.CustomerID
	if err := invalid(fe); err != nil {
		return k, err
	}
	err = o.change(ctx, u, fixed("customer", k.CustomerID, "contract", "Avtal ändrat: "+k.Number), func(tx *store.Tx) error {
		return tx.UpdateContract(ctx, k)
	})
	return k, conflictTo(err, "number", "Kunden har redan ett avtal med det numret.")
}

// ResolveContract sets a.ContractID from a.ContractNumber among the
// customer's contracts, or reports the field.
func ResolveContract(a *repair.Asset, contracts []repair.Contract, fe repair.FieldErrors) {
	a.ContractID = 0
	if a.ContractNumber == "" {
		return
	}
	if k, ok := repair.ContractByNumber(contracts, a.ContractNumber); ok {
		a.ContractID, a.ContractNumber = k.ID, k.Number
		return
	}
	fe.Add("contract_number", "Kunden har inget avtal med det numret.")
}

// CreateAsset adds a machine to a customer's register.
func (o *Ops) CreateAsset(ctx context.Context, u repair.User, customerID int64, in repair.AssetInput) (repair.Asset, error) {
	if err := staffOnly(u); err != nil {
		return repair.Asset{}, err
	}
	c, err := o.db.Customer(ctx, repair.StaffScope(), customerID)
	if err != nil {
		return repair.Asset{}, err
	}
	contracts, err := o.db.Contracts(ctx, repair.StaffScope(), c.ID)
	if err != nil {
		return repair.Asset{}, err
	}
	a, fe := in.Validate()
	ResolveContract(&a, contracts, fe)
	if err := invalid(fe); err != nil {
		return a, err
	}
	a.CustomerID = c.ID
	err = o.change(ctx, u, fixed("customer", c.ID, "asset", "Objekt skapat: "+a.Number), func(tx *store.Tx) error {
		return tx.CreateAsset(ctx, &a)
	})
	return a, conflictTo(err, "number", "Objektnumret finns redan.")
}

// UpdateAsset saves a machine's register fields (not its customer).
func (o *Ops) UpdateAsset(ctx context.Context, u repair.User, id int64, in repair.AssetInput) (repair.Asset, error) {
	if err := staffOnly(u); err != nil {
		return repair.Asset{}, err
	}
	old, err := o.db.Asset(ctx, repair.StaffScope(), id)
	if err != nil {
		return old, err
	}
	contracts, err := o.db.Contracts(ctx, repair.StaffScope(), old.CustomerID)
	if err != nil {
		return old, err
	}
	a, fe := in.Validate()
	ResolveContract(&a, contracts, fe)
	a.ID, a.CustomerID = old.ID, old.CustomerID
	if err := invalid(fe); err != nil {
		return a, err
	}
	err = o.change(ctx, u, fixed("asset", a.ID, "update", "Objektuppgifter ändrade"), func(tx *store.Tx) error {
		return tx.UpdateAsset(ctx, &a)
	})
	return a, conflictTo(err, "number", "Objektnumret finns redan.")
}

// ErrImportRace means an asset number of an import was taken by someone
// else between the preview and the save; nothing was imported.
var ErrImportRace = errors.New("orders: import: an asset number was taken meanwhile")

// ImportAssets saves a customer's machines from a checked inventory, all
// in one transaction or none.
func (o *Ops) ImportAssets(ctx context.Context, u repair.User, customerID int64, assets []repair.Asset) error {
	if err := staffOnly(u); err != nil {
		return err
	}
	c, err := o.db.Customer(ctx, repair.StaffScope(), customerID)
	if err != nil {
		return err
	}
	err = o.change(ctx, u, fixed("customer", c.ID, "import", fmt.Sprintf("Objekt importerade: %d st", len(assets))), func(tx *store.Tx) error {
		for _, a := range assets {
			a.CustomerID = c.ID
			if err := tx.CreateAsset(ctx, &a); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, repair.ErrConflict) {
		return ErrImportRace
	}
	return err
}

// CreateStaffUser gives one of the company's own people a login; admins
// only.
func (o *Ops) CreateStaffUser(ctx context.Context, u repair.User, in repair.UserInput) (repair.User, error) {
	if err := adminOnly(u); err != nil {
		return repair.User{}, err
	}
	nu, pw, fe := in.Validate(StaffRoles)
	if err := invalid(fe); err != nil {
		return nu, err
	}
	nu.MustChangePassword = true
	err := o.createUser(ctx, u, &nu, pw, func() audit {
		return audit{"user", nu.ID, "create", "Personal skapad: " + nu.Email + " (" + nu.Role.Label() + ")"}
	}, nil)
	return nu, err
}

// SetStaffDisabled blocks or unblocks a staff login; admins only. An admin
// cannot block their own, so the site always keeps one admin who can undo
// it.
func (o *Ops) SetStaffDisabled(ctx context.Context, u repair.User, userID int64, disabled bool) error {
	if err := adminOnly(u); err != nil {
		return err
	}
	su, err := o.db.User(ctx, repair.StaffScope(), userID)
	if err != nil {
		return err
	}
	if su.Role.IsCustomer() {
		return repair.ErrNotFound
	}
	if disabled && su.ID == u.ID {
		return repair.FieldErrors{"user": "Du kan inte spärra din egen inloggning."}
	}
	what := "Personal öppnad: "
	if disabled {
		what = "Personal spärrad: "
	}
	return o.change(ctx, u, fixed("user", su.ID, "disable", what+su.Email), func(tx *store.Tx) error {
		return tx.SetUserDisabled(ctx, su.ID, disabled)
	})
}

// CommandLineUser is a login created by an operator on the server's
// command line: any role, a customer by its number for customer roles.
type CommandLineUser struct {
	repair.UserInput
	CustomerNumber     string
	MustChangePassword bool
}

// AddCommandLineUser creates a login for the operator of the server, who
// needs no login of their own (the first admin is made this way). The
// audit line names the command line as its author.
func (o *Ops) AddCommandLineUser(ctx context.Context, in CommandLineUser) (repair.User, error) {
	nu, pw, fe := in.UserInput.Validate(repair.Roles)
	if fe["password"] != "" {
		fe["password"] = repair.PasswordProblem(pw)
	}
	number := strings.TrimSpace(in.CustomerNumber)
	switch {
	case nu.Role.IsCustomer() && number == "":
		fe.Add("customer", "Ange kundnummer för en kundroll.")
	case !nu.Role.IsCustomer() && number != "":
		fe.Add("customer", "Personal hör inte till en kund.")
	case number != "":
		c, err := o.db.CustomerByNumber(ctx, repair.StaffScope(), number)
		if errors.Is(err, repair.ErrNotFound) {
			fe.Add("customer", "Kunden "+number+" finns inte.")
		} else if err != nil {
			return nu, err
		}
		nu.CustomerID = c.ID
	}
	if err := invalid(fe); err != nil {
		return nu, err
	}
	nu.MustChangePassword = in.MustChangePassword
	err := o.createUser(ctx, repair.User{}, &nu, pw, func() audit {
		return audit{"user", nu.ID, "create", "kommandoraden: " + nu.Email + " (" + string(nu.Role) + ")"}
	}, nil)
	return nu, err
}
