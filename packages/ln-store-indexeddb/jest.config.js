import { jestConfig } from '../../tools/jest/config.js';

export default jestConfig(import.meta.dirname);
