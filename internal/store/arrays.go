package store

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// arrayColumns are the columns of rows sent to PostgreSQL as one array
// parameter a column, each "name type", the type one of bigint, text,
// boolean and timestamptz. pgx sends such arrays in PostgreSQL's binary
// form, which is read without parsing (JSON is parsed where it is cast
// and again where it is read).
type arrayColumns []string

// unnest is the FROM item that reads the arrays, given as parameters
// from $first on, as rows named alias with the columns' names.
func (c arrayColumns) unnest(first int, alias string) string {
	arrays, names := make([]string, len(c)), make([]string, len(c))
	for i, col := range c {
		name, typ, _ := strings.Cut(col, " ")
		arrays[i] = fmt.Sprintf("$%d::%s[]", first+i, typ)
		names[i] = name
	}
	return "unnest(" + strings.Join(arrays, ", ") + ") AS " + alias + "(" + strings.Join(names, ", ") + ")"
}

// rows is an empty set of rows of the columns.
func (c arrayColumns) rows() *rowArrays {
	r := &rowArrays{columns: make([]any, len(c))}
	for i, col := range c {
		switch _, typ, _ := strings.Cut(col, " "); typ {
		case "bigint":
			r.columns[i] = []int64{}
		case "text":
			r.columns[i] = []string{}
		case "boolean":
			r.columns[i] = []bool{}
		case "timestamptz":
			r.columns[i] = []time.Time{}
		default:
			panic("store: array column of type " + typ)
		}
	}
	return r
}

// rowArrays are rows of arrayColumns, one slice a column: the
// statement's arguments for unnest.
type rowArrays struct {
	columns []any
}

// len is the number of rows.
func (r *rowArrays) len() int {
	if len(r.columns) == 0 {
		return 0
	}
	return reflect.ValueOf(r.columns[0]).Len()
}

// add appends a row, its values in the columns' order and of their types.
func (r *rowArrays) add(values ...any) {
	if len(values) != len(r.columns) {
		panic(fmt.Sprintf("store: %d values for %d array columns", len(values), len(r.columns)))
	}
	for i, v := range values {
		switch col := r.columns[i].(type) {
		case []int64:
			r.columns[i] = append(col, v.(int64))
		case []string:
			r.columns[i] = append(col, v.(string))
		case []bool:
			r.columns[i] = append(col, v.(bool))
		case []time.Time:
			r.columns[i] = append(col, v.(time.Time))
		}
	}
}
