package filestore

import "os"

// PutWithSums sends f as the blob sum with the given MD5, as Put does
// after hashing, so that tests can send bytes that do not match.
func (s *S3) PutWithSums(f *os.File, n int64, sum, md5b64 string) error {
	return s.put(f, n, sum, md5b64)
}
