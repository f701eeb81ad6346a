from ketacompare.entry import main

raise SystemExit(main())
