// HRM's PocketBase build: the official PocketBase module, pinned in go.mod, with the
// JS plugin (our schema lives in pb_migrations/, our few routes in pb_hooks/) and the
// migrate command.
// The flags mirror the official binary's (examples/base) so that POCKETBASE_BIN can point
// at an operator's own official build and be driven the same way. Automigrate defaults
// to off: the schema changes only through the migration files we write.
package main

import (
	"log"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/jsvm"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
)

func main() {
	app := pocketbase.New()

	var migrationsDir string
	var hooksDir string
	var automigrate bool
	flags := app.RootCmd.PersistentFlags()
	flags.StringVar(&migrationsDir, "migrationsDir", "", "the directory with the JS migration files")
	flags.StringVar(&hooksDir, "hooksDir", "", "the directory with the JS app hooks (HRM's routes: pb_hooks/)")
	flags.BoolVar(&automigrate, "automigrate", false, "write a migration file on every collection change (keep off)")
	app.RootCmd.ParseFlags(os.Args[1:])

	jsvm.MustRegister(app, jsvm.Config{
		MigrationsDir: migrationsDir,
		HooksDir:      hooksDir,
	})
	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		TemplateLang: migratecmd.TemplateLangJS,
		Automigrate:  automigrate,
		Dir:          migrationsDir,
	})

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
