import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The app providers and lazy components render slowly on a shared machine;
// findBy* queries wait for what the user would eventually see.
configure({ asyncUtilTimeout: 10_000 });
