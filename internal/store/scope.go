package store

import (
	"strconv"

	"kundportal/internal/repair"
)

// The conditions below limit a query to what a scope may see, one per kind
// of record, each given the alias of that record's table in the query.
//
// They are plain SQL rather than a parameterised "(? OR col = ?)": an OR
// with a parameter hides the equality from the planner, which then scans
// every customer's rows instead of searching the (customer_id, ...)
// indexes. The ids are integers from the session, never text from a
// request, so writing them into the SQL is safe. The zero scope sees
// nothing.

// byScope picks the condition for the scope's kind; an empty condition for
// a kind means that kind sees none of these records.
func byScope(s repair.Scope, customer, technician func(id string) string) string {
	switch {
	case s.All():
		return "TRUE"
	case s.Customer() > 0 && customer != nil:
		return customer(strconv.FormatInt(s.Customer(), 10))
	case s.Technician() > 0 && technician != nil:
		return technician(strconv.FormatInt(s.Technician(), 10))
	}
	return "FALSE"
}

// assignedCase is the technician's condition on a case id column: a work
// order of that case is assigned to the technician. It must be driven by
// the work_orders (case_id) index, a few rows per case, not by the
// technician's index, which holds the technician's whole history: the
// unary plus keeps SQLite's planner off the latter (PostgreSQL, with its
// statistics, needs no hint and reads +x as x).
func assignedCase(caseCol string) func(string) string {
	return func(id string) string {
		return "EXISTS (SELECT 1 FROM work_orders sw WHERE sw.case_id = " + caseCol + " AND +sw.technician_id = " + id + ")"
	}
}

// scopeCase limits cases c (the case table's alias) to the scope.
func scopeCase(s repair.Scope, c string) string {
	return byScope(s, func(id string) string { return c + ".customer_id = " + id }, assignedCase(c+".id"))
}

// scopeMachineCase is scopeCase for the queries about one machine's
// cases, which its (asset_id, registered_at) index drives: the unary plus
// keeps SQLite's planner, without statistics, from reading the customer's
// whole list through a (customer_id, ...) index instead (PostgreSQL reads
// +x as x).
func scopeMachineCase(s repair.Scope, c string) string {
	return byScope(s, func(id string) string { return "+" + c + ".customer_id = " + id }, assignedCase(c+".id"))
}

// scopeWorkOrder limits work orders w of cases c to the scope: a
// technician sees only its own work orders, not its colleagues' on the
// same case.
func scopeWorkOrder(s repair.Scope, w, c string) string {
	return byScope(s, func(id string) string { return c + ".customer_id = " + id },
		func(id string) string { return w + ".technician_id = " + id })
}

// scopeCaseWorkOrder is scopeWorkOrder for queries that reach the work
// orders from given cases, through work_orders (case_id): as in
// assignedCase, the unary plus keeps SQLite's planner off the technician's
// index, which would walk the technician's whole history.
func scopeCaseWorkOrder(s repair.Scope, w, c string) string {
	return byScope(s, func(id string) string { return c + ".customer_id = " + id },
		func(id string) string { return "+" + w + ".technician_id = " + id })
}

// scopeAsset limits assets a to the scope: a technician sees the machines
// of its work orders' cases (found from the machine's cases, as for
// assignedCase).
func scopeAsset(s repair.Scope, a string) string {
	return byScope(s, func(id string) string { return a + ".customer_id = " + id },
		func(id string) string {
			return "EXISTS (SELECT 1 FROM cases sc JOIN work_orders sw ON sw.case_id = sc.id WHERE sc.asset_id = " + a + ".id AND +sw.technician_id = " + id + ")"
		})
}

// scopeFile limits files f to the scope: a technician sees the files of
// cases it has a work order on.
func scopeFile(s repair.Scope, f string) string {
	return byScope(s, func(id string) string { return f + ".customer_id = " + id }, assignedCase(f+".case_id"))
}

// scopeCustomer limits customers k to the scope: a technician sees the
// customers it has work orders for, so that it can tell whose site it is
// at. A customer has many cases, so here the technician's own work orders
// are the smaller side to start from.
func scopeCustomer(s repair.Scope, k string) string {
	return byScope(s, func(id string) string { return k + ".id = " + id },
		func(id string) string {
			return "EXISTS (SELECT 1 FROM work_orders sw JOIN cases sc ON sc.id = sw.case_id WHERE sc.customer_id = " + k + ".id AND sw.technician_id = " + id + ")"
		})
}

// scopeCustomerOwned limits records that belong to a customer through the
// column col (contracts, invoice references) to a customer's own; a
// technician sees none.
func scopeCustomerOwned(s repair.Scope, col string) string {
	return byScope(s, func(id string) string { return col + " = " + id }, nil)
}

// scopeInvoice limits invoices, by their customer column, to the scope:
// a customer's own, unless the customer shows them to its admins only and
// the scope is not one.
func scopeInvoice(s repair.Scope, col string) string {
	if !s.Invoices() {
		return "FALSE"
	}
	return scopeCustomerOwned(s, col)
}

// scopeUser limits users u to the scope: a customer sees its own people, a
// technician only itself.
func scopeUser(s repair.Scope, u string) string {
	return byScope(s, func(id string) string { return u + ".customer_id = " + id },
		func(id string) string { return u + ".id = " + id })
}

// scopeVisible hides what only staff and technicians may see (internal
// actions and costs) from a customer's scope; col is the record's
// customer_visible column.
func scopeVisible(s repair.Scope, col string) string {
	if s.CustomerView() {
		return col
	}
	return "TRUE"
}

// scopeStaff lets only staff see a kind of record (the audit log).
func scopeStaff(s repair.Scope) string { return byScope(s, nil, nil) }
