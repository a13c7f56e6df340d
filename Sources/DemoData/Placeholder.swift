enum DemoDataPlaceholder {}
