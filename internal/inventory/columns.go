package inventory

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Canonical column names, as listed in Result.Columns and used in messages.
const (
	ColNumber    = "Objektnummer"
	ColKind      = "Maskin"
	ColBrand     = "Fabrikat"
	ColModel     = "Modell"
	ColSerial    = "Serienummer"
	ColSite      = "Kund"
	ColStreet    = "Gata"
	ColPostal    = "Postnummer"
	ColCity      = "Ort"
	ColLocation  = "Placering"
	ColContract  = "Avtal"
	ColInstalled = "Installerad"
)

// field is one Asset field a column can fill.
type field int

const (
	fNumber field = iota
	fKind
	fBrand
	fModel
	fSerial
	fSite
	fStreet
	fPostal
	fCity
	fLocation
	fContract
	fInstalled
	numFields

	// fPostalCity is a combined "Postnr / ort" column; it fills fPostal and
	// fCity.
	fPostalCity field = -2
	// fUnknown is a column the import ignores.
	fUnknown field = -1
)

var fieldNames = [numFields]string{
	fNumber:    ColNumber,
	fKind:      ColKind,
	fBrand:     ColBrand,
	fModel:     ColModel,
	fSerial:    ColSerial,
	fSite:      ColSite,
	fStreet:    ColStreet,
	fPostal:    ColPostal,
	fCity:      ColCity,
	fLocation:  ColLocation,
	fContract:  ColContract,
	fInstalled: ColInstalled,
}

// headings maps a heading's key (see headingKey) to its field: the
// canonical Swedish name and the usual Swedish and English synonyms.
var headings = map[string]field{}

func init() {
	for f, names := range map[field][]string{
		fNumber:     {"Objektnummer", "Objektnr", "Objektsnummer", "Objektsnr", "Objekt", "Nummer", "Asset number", "Asset no", "Asset nr"},
		fKind:       {"Maskin", "Typ", "Typ av maskin", "Maskintyp", "Kind", "Type", "Machine", "Machine type"},
		fBrand:      {"Fabrikat", "Märke", "Tillverkare", "Brand", "Make", "Manufacturer"},
		fModel:      {"Modell", "Model"},
		fSerial:     {"Serienummer", "Serienr", "Serial", "Serial number", "Serial no"},
		fSite:       {"Kund", "Plats", "Avdelning", "Site"},
		fStreet:     {"Gata", "Adress", "Gatuadress", "Address", "Street"},
		fPostal:     {"Postnummer", "Postnr", "Zip", "Zip code", "Postal code", "Postcode"},
		fCity:       {"Ort", "Stad", "Postort", "City", "Town"},
		fLocation:   {"Placering", "Location", "Placement"},
		fContract:   {"Avtal", "Avtalsnummer", "Avtalsnr", "Contract", "Contract number"},
		fInstalled:  {"Installerad", "Installerat", "Installationsdatum", "Installed", "Installation date", "Date installed"},
		fPostalCity: {"Postnr / ort", "Postnummer / ort", "Postnummer och ort", "Postnr och ort"},
	} {
		for _, n := range names {
			headings[headingKey(n)] = f
		}
	}
}

// headingKey folds a column heading for lookup: case, diacritics (å, ä, ö),
// white space and punctuation do not count, nor does a remark in
// parentheses, so "Objekt-nr.", "OBJEKTNR" and "Objektnr (obligatorisk)"
// are the same heading.
func headingKey(s string) string {
	if i := strings.IndexByte(s, '('); i > 0 {
		s = s[:i]
	}
	s = norm.NFD.String(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lookupHeading returns the field a heading names, or fUnknown.
func lookupHeading(s string) field {
	if f, ok := headings[headingKey(s)]; ok {
		return f
	}
	return fUnknown
}
