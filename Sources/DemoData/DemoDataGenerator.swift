/// Writes a realistic synthetic dataset in the import format (see README, "Import format").
package struct DemoDataGenerator {}
