package orders

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"kundportal/internal/repair"
	"kundportal/internal/secret"
	"kundportal/internal/store"
)

// Huvudnyckel (door codes and master-key consent) is protected data: kept
// sealed with the application's key, shown in full only to dispatchers
// and to a technician with an open work order on the case, each showing
// written to the audit log, and erased a set time after the case is done.

// AccessRetention is how long after a case is completed its Huvudnyckel is
// kept, for a return visit.
const AccessRetention = 30 * 24 * time.Hour

// UseSecrets makes the operations seal Huvudnyckel with box. Without it an
// Ops uses a key of its own that dies with the process: fine for tests,
// never for a server, which calls this at start-up.
func (o *Ops) UseSecrets(box *secret.Box) { o.box = box }

func ephemeralBox() *secret.Box {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	b, err := secret.New(key)
	if err != nil {
		panic(err)
	}
	return b
}

// sealAccess seals a new case's Huvudnyckel and leaves its mask in Access.
func (o *Ops) sealAccess(c *repair.Case) error {
	sealed, err := o.box.Seal(c.Access)
	if err != nil {
		return fmt.Errorf("orders: seal access: %w", err)
	}
	c.AccessSealed, c.Access = sealed, repair.MaskAccess(c.Access)
	return nil
}

// RevealAccess shows a case's Huvudnyckel in full to a dispatcher or admin,
// or to a technician with an open work order on the case, and writes who
// saw it to the audit log; anyone else gets repair.ErrForbidden (and a
// customer's own people see the mask only, as everyone else does).
func (o *Ops) RevealAccess(ctx context.Context, u repair.User, caseID int64) (string, error) {
	scope := repair.ScopeFor(u)
	switch {
	case u.Role.IsStaff():
	case u.Role == repair.RoleTechnician:
		ok, err := o.db.HasOpenWorkOrder(ctx, caseID, u.ID)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", repair.ErrForbidden
		}
	default:
		return "", repair.ErrForbidden
	}
	plain, sealed, err := o.db.CaseAccess(ctx, scope, caseID)
	if err != nil {
		return "", err
	}
	if sealed != "" {
		if plain, err = o.box.Open(sealed); err != nil {
			return "", fmt.Errorf("orders: reveal access of case %d: %w", caseID, err)
		}
	}
	if plain == "" {
		return "", nil
	}
	err = o.db.Update(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, u.ID, "case", caseID, "access", "Huvudnyckel visad för "+u.Name)
	})
	return plain, err
}

// SealPlainAccess seals the Huvudnyckel of cases stored before values were
// sealed (and of demo data, which is written past the operations), and
// returns how many it sealed. The server runs it at start-up.
func (o *Ops) SealPlainAccess(ctx context.Context) (int, error) {
	total := 0
	for {
		batch, err := o.db.PlainAccessCases(ctx, 500)
		if err != nil || len(batch) == 0 {
			return total, err
		}
		err = o.db.Update(ctx, func(tx *store.Tx) error {
			for _, p := range batch {
				sealed, err := o.box.Seal(p.Access)
				if err != nil {
					return err
				}
				if err := tx.SealAccess(ctx, p.CaseID, p.Access, sealed); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += len(batch)
	}
}

// EraseOldAccess deletes Huvudnyckel from the cases completed or
// cancelled more than AccessRetention ago; the server runs it hourly.
func (o *Ops) EraseOldAccess(ctx context.Context) (int64, error) {
	var n int64
	err := o.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		n, err = tx.EraseAccess(ctx, o.now().Add(-AccessRetention))
		return err
	})
	return n, err
}
