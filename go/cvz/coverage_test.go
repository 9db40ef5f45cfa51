// SPDX-License-Identifier: Apache-2.0

package cvz

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every C wrapper of libcvz (generated/cvz.exports, which cvzgen writes from
// the same XML) is called by an exported Go function of the generated files,
// or is listed in notWrapped with a reason; never both.
func TestCoverage(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "generated", "cvz.exports"))
	must(t, err, "the C wrappers' list")
	var exported []string
	for _, line := range strings.Fields(string(data)) {
		exported = append(exported, strings.TrimPrefix(line, "_"))
	}

	callers := map[string][]string{} /* C function -> exported Go functions calling it */
	files, err := filepath.Glob("*_gen.go")
	must(t, err, "generated files")
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		must(t, err, name)
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || !fn.Name.IsExported() || fn.Body == nil {
				continue
			}
			goName := fn.Name.Name
			if fn.Recv != nil {
				goName = "(" + types(fn.Recv.List[0].Type) + ")." + goName
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
						if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "C" && strings.HasPrefix(sel.Sel.Name, "cvz_") {
							callers[sel.Sel.Name] = append(callers[sel.Sel.Name], goName)
						}
					}
				}
				return true
			})
		}
	}

	skipped := map[string]string{}
	for _, s := range notWrapped {
		if s.reason == "" {
			t.Errorf("%s is not wrapped, and no reason is given", s.cfunc)
		}
		skipped[s.cfunc] = s.reason
	}
	isExported := map[string]bool{}
	wrapped := 0
	for _, c := range exported {
		isExported[c] = true
		_, skip := skipped[c]
		switch {
		case len(callers[c]) > 0 && skip:
			t.Errorf("%s is wrapped by %v and listed as not wrapped", c, callers[c])
		case len(callers[c]) == 0 && !skip:
			t.Errorf("%s has no Go function and is not listed as skipped", c)
		case !skip:
			wrapped++
		}
	}
	for c := range skipped {
		if !isExported[c] {
			t.Errorf("notWrapped lists %s, which libcvz does not export", c)
		}
	}
	t.Logf("C wrappers: %d; called from exported Go functions: %d; not wrapped, with a reason: %d",
		len(exported), wrapped, len(skipped))
}

func types(e ast.Expr) string {
	if star, ok := e.(*ast.StarExpr); ok {
		return "*" + types(star.X)
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return "?"
}
