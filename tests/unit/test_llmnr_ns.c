/* being written: see the llmnr helper's report */
int main(void)
{
    return 77;
}
