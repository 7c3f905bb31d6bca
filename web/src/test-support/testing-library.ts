import { configure } from '@testing-library/react';

// findBy* and waitFor give up after 1 s by default; a 2-core machine under load can take longer to settle.
configure({ asyncUtilTimeout: 10_000 });
