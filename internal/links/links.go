// Package links builds the site's URLs for cases, machines, work orders
// and files in one place, relative for pages and absolute (from the
// configured public address) for what leaves the site: QR codes on object
// labels, and links in e-mails.
package links

import (
	"net/url"
	"strconv"
	"strings"
)

func path(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

// Case is a case's page in the customer portal.
func Case(id int64) string { return path("/arenden/", id, "") }

// CaseActions is a case's Se åtgärder.
func CaseActions(id int64) string { return path("/arenden/", id, "/atgarder") }

// CaseFiles is a case's Se filer.
func CaseFiles(id int64) string { return path("/arenden/", id, "/filer") }

// StaffCase is a case's page in the order system, at the section anchor
// (empty for the top).
func StaffCase(id int64, anchor string) string {
	if anchor != "" {
		anchor = "#" + anchor
	}
	return path("/order/arenden/", id, anchor)
}

// WorkOrder is a work order on its case's page in the order system.
func WorkOrder(caseID, workOrderID int64) string {
	return StaffCase(caseID, "wo-"+strconv.FormatInt(workOrderID, 10))
}

// Asset is a machine's history in the customer portal.
func Asset(id int64) string { return path("/objekt/", id, "") }

// StaffAsset is a machine in the order system's register.
func StaffAsset(id int64) string { return path("/order/objekt/", id, "") }

// Customer is a customer in the order system's register, at the section
// anchor (empty for the top).
func Customer(id int64, anchor string) string {
	if anchor != "" {
		anchor = "#" + anchor
	}
	return path("/order/kunder/", id, anchor)
}

// File is a stored file.
func File(id int64) string { return path("/filer/", id, "") }

// NewCaseFor is Nytt ärende with the machine chosen: the link an object
// label's QR code carries.
func NewCaseFor(assetNumber string) string {
	return "/nytt-arende?objekt=" + url.QueryEscape(assetNumber)
}

// Base is the site's public address, "https://portal.example", without a
// trailing slash.
type Base string

// NewBase cleans a configured public address.
func NewBase(s string) Base { return Base(strings.TrimSuffix(strings.TrimSpace(s), "/")) }

// Abs is the absolute URL of a path of the site.
func (b Base) Abs(path string) string { return string(b) + path }
