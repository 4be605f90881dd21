package peppol

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// The checker's view of a document: a plain element tree, looked up by
// namespace and name with XPath-like paths, so that it shares nothing with
// the structs the writer marshals.

// prefixes resolves the prefixes the checker's paths are written with.
var prefixes = map[string]string{
	"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
	"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
	"ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
}

// node is one element of the parsed document.
type node struct {
	name  xml.Name
	attrs []xml.Attr
	text  string
	kids  []*node
}

// parseTree parses doc into its element tree; the root is the document element.
func parseTree(doc []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && root != nil && len(stack) == 0 {
				return root, nil
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, attrs: t.Copy().Attr}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			} else if root == nil {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
}

// all is the elements at path below n: "cac:Party/cbc:EndpointID".
func (n *node) all(path string) []*node {
	cur := []*node{n}
	for step := range strings.SplitSeq(path, "/") {
		prefix, local, _ := strings.Cut(step, ":")
		var next []*node
		for _, c := range cur {
			for _, k := range c.kids {
				if k.name.Space == prefixes[prefix] && k.name.Local == local {
					next = append(next, k)
				}
			}
		}
		cur = next
	}
	return cur
}

// get is the first element at path, or nil.
func (n *node) get(path string) *node {
	if n == nil {
		return nil
	}
	if all := n.all(path); len(all) > 0 {
		return all[0]
	}
	return nil
}

// val is the trimmed text of the first element at path, "" when there is none.
func (n *node) val(path string) string {
	if e := n.get(path); e != nil {
		return strings.TrimSpace(e.text)
	}
	return ""
}

// attr is the value of the unqualified attribute name, "" when absent.
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// qname is the element's name with the prefix the checker knows it by.
func (n *node) qname() string {
	for p, ns := range prefixes {
		if n.name.Space == ns {
			return p + ":" + n.name.Local
		}
	}
	return "{" + n.name.Space + "}" + n.name.Local
}
