package store

import (
	"context"
	"fmt"

	"kundportal/internal/repair"
)

const customerColumns = `k.id, k.number, k.name, k.org_number, k.invoice_address, k.hourly_rate_ore, k.invoices_admins_only, k.created_at`

func scanCustomer(r rowScanner) (repair.Customer, error) {
	var c repair.Customer
	err := r.Scan(&c.ID, &c.Number, &c.Name, &c.OrgNumber, &c.InvoiceAddress, &c.HourlyRateOre, &c.InvoicesAdminsOnly, &c.CreatedAt)
	return c, err
}

// CreateCustomer inserts c and sets its ID and CreatedAt.
func (tx *Tx) CreateCustomer(ctx context.Context, c *repair.Customer) error {
	c.CreatedAt = tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO customers (number, name, org_number, invoice_address, hourly_rate_ore, invoices_admins_only, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.Number, c.Name, c.OrgNumber, c.InvoiceAddress, c.HourlyRateOre, c.InvoicesAdminsOnly, c.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: create customer: %w", err)
	}
	c.ID = id
	return nil
}

// Customer returns the customer with id, if scope may see it.
func (db *DB) Customer(ctx context.Context, scope repair.Scope, id int64) (repair.Customer, error) {
	c, err := scanCustomer(db.queryRow(ctx, `
		SELECT `+customerColumns+`
		FROM customers k
		WHERE k.id = ?
		  AND `+scopeCustomer(scope, "k"), id))
	if err != nil {
		return c, fmt.Errorf("store: customer %d: %w", id, db.d.mapErr(err))
	}
	return c, nil
}

// Customers lists the customers scope may see by name, in Swedish order.
func (db *DB) Customers(ctx context.Context, scope repair.Scope) ([]repair.Customer, error) {
	rows, err := db.query(ctx, `
		SELECT `+customerColumns+`
		FROM customers k
		WHERE `+scopeCustomer(scope, "k")+`
		ORDER BY k.name `+db.d.swedish+`, k.id`)
	out, err := collect(rows, err, scanCustomer)
	if err != nil {
		return nil, fmt.Errorf("store: customers: %w", err)
	}
	return out, nil
}

// CreateContract inserts k and sets its ID.
func (tx *Tx) CreateContract(ctx context.Context, k *repair.Contract) error {
	id, err := tx.insert(ctx, `
		INSERT INTO contracts (customer_id, number, name, valid_from, valid_to, hourly_rate_ore)
		VALUES (?, ?, ?, ?, ?, ?)`,
		k.CustomerID, k.Number, k.Name, k.ValidFrom, k.ValidTo, k.HourlyRateOre)
	if err != nil {
		return fmt.Errorf("store: create contract: %w", err)
	}
	k.ID = id
	return nil
}

// Contracts lists the contracts of the customer the scope is limited to (or
// of customerID for staff), by number.
func (db *DB) Contracts(ctx context.Context, scope repair.Scope, customerID int64) ([]repair.Contract, error) {
	rows, err := db.query(ctx, `
		SELECT id, customer_id, number, name, valid_from, valid_to, hourly_rate_ore
		FROM contracts
		WHERE customer_id = ?
		  AND `+scopeCustomerOwned(scope, "customer_id")+`
		ORDER BY number`, customerID)
	out, err := collect(rows, err, func(r rowScanner) (repair.Contract, error) {
		var k repair.Contract
		err := r.Scan(&k.ID, &k.CustomerID, &k.Number, &k.Name, &k.ValidFrom, &k.ValidTo, &k.HourlyRateOre)
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: contracts: %w", err)
	}
	return out, nil
}

// CustomerByNumber returns the customer with the customer number, if
// scope may see it.
func (db *DB) CustomerByNumber(ctx context.Context, scope repair.Scope, number string) (repair.Customer, error) {
	c, err := scanCustomer(db.queryRow(ctx, `
		SELECT `+customerColumns+`
		FROM customers k
		WHERE k.number = ?
		  AND `+scopeCustomer(scope, "k"), number))
	if err != nil {
		return c, fmt.Errorf("store: customer %s: %w", number, db.d.mapErr(err))
	}
	return c, nil
}

// UpdateCustomer saves a customer's register fields.
func (tx *Tx) UpdateCustomer(ctx context.Context, c repair.Customer) error {
	if err := tx.exec(ctx, `
		UPDATE customers
		SET number = ?, name = ?, org_number = ?, invoice_address = ?, hourly_rate_ore = ?, invoices_admins_only = ?
		WHERE id = ?`, c.Number, c.Name, c.OrgNumber, c.InvoiceAddress, c.HourlyRateOre, c.InvoicesAdminsOnly, c.ID); err != nil {
		return fmt.Errorf("store: update customer: %w", err)
	}
	return nil
}

// Contract returns the contract with id, if scope may see it.
func (db *DB) Contract(ctx context.Context, scope repair.Scope, id int64) (repair.Contract, error) {
	var k repair.Contract
	err := db.queryRow(ctx, `
		SELECT id, customer_id, number, name, valid_from, valid_to, hourly_rate_ore
		FROM contracts
		WHERE id = ?
		  AND `+scopeCustomerOwned(scope, "customer_id"), id).Scan(&k.ID, &k.CustomerID, &k.Number, &k.Name, &k.ValidFrom, &k.ValidTo, &k.HourlyRateOre)
	if err != nil {
		return k, fmt.Errorf("store: contract %d: %w", id, db.d.mapErr(err))
	}
	return k, nil
}

// UpdateContract saves a contract's fields (not its customer).
func (tx *Tx) UpdateContract(ctx context.Context, k repair.Contract) error {
	if err := tx.exec(ctx, `
		UPDATE contracts
		SET number = ?, name = ?, valid_from = ?, valid_to = ?, hourly_rate_ore = ?
		WHERE id = ?`, k.Number, k.Name, k.ValidFrom, k.ValidTo, k.HourlyRateOre, k.ID); err != nil {
		return fmt.Errorf("store: update contract: %w", err)
	}
	return nil
}
