import { describe, expect, test } from '@jest/globals';
import { dnsLabel, expandAlias } from '../actions/deploy/src/aliases.js';

describe('alias templates', () => {
  test('branch names become DNS labels; SHA is short; PR number is required when used', () => {
    expect(dnsLabel('Feature/Login_Page!!')).toBe('feature-login-page');
    expect(dnsLabel('x'.repeat(80))).toHaveLength(63);
    expect(expandAlias('{{BRANCH}}-{{SHA}}.preview.example.com', { branch: 'feat/New UI', sha: 'abcdef1234' })).toBe(
      'feat-new-ui-abcdef1.preview.example.com',
    );
    expect(expandAlias('pr-{{ PR_NUMBER }}.example.com', { branch: 'b', sha: 's', prNumber: 42 })).toBe(
      'pr-42.example.com',
    );
    expect(() => expandAlias('pr-{{PR_NUMBER}}.example.com', { branch: 'main', sha: 'abc' })).toThrow(
      "cannot fill {{PR_NUMBER}} (this run is not for a pull request) in 'pr-{{PR_NUMBER}}.example.com'",
    );
  });
});
