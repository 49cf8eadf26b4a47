package auditlog_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// R10.1: every exported operation that writes audit entries, directly or through functions of
// its package, marks its call with txn.Begin (or txn.Continue), so its entries share one
// operation id. An operation added without it fails here.
func TestR10_1EveryAuditingOperationBegins(t *testing.T) {
	root := filepath.Join("..", "..")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, d := range dirs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") || d.Name() == "internal" || d.Name() == "cmd" || d.Name() == "examples" {
			continue
		}
		fset := token.NewFileSet()
		funcs := map[string]*ast.FuncDecl{}
		files, _ := filepath.Glob(filepath.Join(root, d.Name(), "*.go"))
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Body != nil {
					funcs[fn.Name.Name] = fn
				}
			}
		}
		calls := map[string]map[string]bool{} // function -> what it calls: local names, "auditlog.Write", "txn.Begin"
		for name, fn := range funcs {
			calls[name] = map[string]bool{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch f := c.Fun.(type) {
				case *ast.Ident:
					calls[name][f.Name] = true
				case *ast.SelectorExpr:
					if x, ok := f.X.(*ast.Ident); ok {
						calls[name][x.Name+"."+f.Sel.Name] = true
					}
				}
				return true
			})
		}
		writes := map[string]bool{}
		for changed := true; changed; {
			changed = false
			for name, cs := range calls {
				if writes[name] {
					continue
				}
				for c := range cs {
					if c == "auditlog.Write" || writes[c] {
						writes[name], changed = true, true
						break
					}
				}
			}
		}
		for name := range writes {
			if !ast.IsExported(name) {
				continue
			}
			checked++
			if !calls[name]["txn.Begin"] && !calls[name]["txn.Continue"] {
				t.Errorf("%s.%s writes audit entries but does not begin an operation call (txn.Begin)", d.Name(), name)
			}
		}
	}
	if checked < 15 {
		t.Errorf("only %d auditing operations found: the check lost its way", checked)
	}
}
