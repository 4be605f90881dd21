package upload

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameRunes is the longest name SafeName returns, extension included.
const maxNameRunes = 100

// extAliases are the extensions, besides Type.Ext, that SafeName keeps
// for a type.
var extAliases = map[string][]string{
	JPEG.MIME: {".jpeg", ".jpe"},
}

// SafeName turns a user-supplied file name into one that is safe to store
// and to show:
//
//   - invalid UTF-8 is dropped and the name is put in Unicode NFC;
//   - only the base name is kept (anything up to the last / or \ goes);
//   - control and format characters (NUL, bidi overrides such as U+202E,
//     zero-width characters) are removed, and any whitespace — newlines
//     included — becomes a space, runs of spaces collapsing to one;
//   - the characters < > : " | ? * become _;
//   - leading dots and spaces, and trailing ones (Windows drops them), go;
//   - Windows device names (CON, NUL, COM1 …) get a leading _;
//   - the extension is replaced by t.Ext unless it already is an accepted
//     spelling for t, compared case-insensitively and kept as written
//     ("räkning.PDF" stays, "bild.exe" that is a JPEG becomes "bild.jpg").
//     Only a suffix of 1–10 ASCII letters and digits, with at least one
//     letter, counts as an extension; otherwise t.Ext is appended
//     ("version 2.1" → "version 2.1.pdf");
//   - the result has at most 100 runes; the base is shortened, never the
//     extension;
//   - a name with no usable base becomes "fil" plus the extension.
//
// With the zero Type the name's own extension is kept.
func SafeName(name string, t Type) string {
	name = norm.NFC.String(strings.ToValidUTF8(name, ""))
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}

	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			r = ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		}
		if r == ' ' && space {
			continue
		}
		space = r == ' '
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), ". ")

	base, ext := splitExt(s)
	if t.Ext != "" && !extFits(ext, t) {
		ext = t.Ext
	}
	base = strings.TrimRight(base, ". ")
	if limit := maxNameRunes - utf8.RuneCountInString(ext); utf8.RuneCountInString(base) > limit {
		base = truncateRunes(base, limit)
		base = strings.TrimRight(base, ". ")
	}
	if base == "" {
		base = "fil"
	}
	if reservedWindowsName(base) {
		base = "_" + base
		if utf8.RuneCountInString(base)+utf8.RuneCountInString(ext) > maxNameRunes {
			base = truncateRunes(base, maxNameRunes-utf8.RuneCountInString(ext))
		}
	}
	return base + ext
}

// splitExt splits s into base and extension (with dot) if s ends in
// something that looks like an extension.
func splitExt(s string) (base, ext string) {
	i := strings.LastIndexByte(s, '.')
	if i <= 0 {
		return s, ""
	}
	e := s[i+1:]
	if len(e) == 0 || len(e) > 10 {
		return s, ""
	}
	letter := false
	for _, c := range []byte(e) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
			letter = true
		case '0' <= c && c <= '9':
		default:
			return s, ""
		}
	}
	if !letter {
		return s, ""
	}
	return s[:i], s[i:]
}

// extFits reports whether ext is an accepted spelling of t's extension.
func extFits(ext string, t Type) bool {
	if strings.EqualFold(ext, t.Ext) {
		return true
	}
	for _, a := range extAliases[t.MIME] {
		if strings.EqualFold(ext, a) {
			return true
		}
	}
	return false
}

func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// reservedWindowsName reports whether Windows would treat base as a device
// name (the part before the first dot counts, case-insensitively).
func reservedWindowsName(base string) bool {
	stem, _, _ := strings.Cut(base, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) &&
		stem[3] >= '0' && stem[3] <= '9' {
		return true
	}
	return false
}
