import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The machines running these tests are shared and slow at times: give lazy-loaded components
// and the table more than the default second to appear. This is a ceiling, not a wait.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(30_000);
