from ketacompare.cli import main

raise SystemExit(main())
